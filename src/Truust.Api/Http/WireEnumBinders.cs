using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;
using Truust.Domain;

namespace Truust.Api.Http;

/// <summary>
/// Query and route values of an enum are read by their wire names (<c>PENDING_PUBLISH</c>, <c>REQUIRES_ACTION</c>), as
/// JSON writes them. MVC's own binder parses C# member names only, so <c>?status=DRAFT</c> worked while
/// <c>?status=PENDING_PUBLISH</c>, the name every response carries, was a 400. Anything else falls through to MVC's
/// binder (member names keep working; an unknown value is still a 400 naming the parameter).
/// </summary>
public sealed class WireEnumBinders : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.UnderlyingOrModelType.IsEnum
        && context.BindingInfo.BindingSource?.CanAcceptDataFrom(BindingSource.Body) != true
            ? new Binder(
                context.Metadata.UnderlyingOrModelType,
                // MVC's own enum binder: it refuses numbers that name no member (?status=-1), like before.
                new EnumTypeModelBinder(
                    suppressBindingUndefinedValueToEnumType: true,
                    context.Metadata.UnderlyingOrModelType,
                    context.Services.GetRequiredService<ILoggerFactory>()
                )
            )
            : null;

    private sealed class Binder(Type enumType, IModelBinder inner) : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext context)
        {
            var text = context.ValueProvider.GetValue(context.ModelName).FirstValue;
            var match = text is null
                ? null
                : Enum.GetValues(enumType)
                    .Cast<Enum>()
                    .FirstOrDefault(v => string.Equals(WireName.Of(v), text, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                return inner.BindModelAsync(context);
            }

            context.ModelState.SetModelValue(context.ModelName, context.ValueProvider.GetValue(context.ModelName));
            context.Result = ModelBindingResult.Success(match);
            return Task.CompletedTask;
        }
    }
}
