using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;

namespace Truust.Api.Http;

/// <summary>
/// A timestamp that comes in with any offset is read as the same instant in UTC. The API speaks UTC, and Npgsql
/// writes only offset 0 to a <c>timestamptz</c>: a deadline or a list filter at +02:00 used to answer 500. JSON bodies
/// go through <see cref="Json"/> (in <see cref="JsonDefaults"/>), query strings and route values through
/// <see cref="Binders"/> (in the MVC options).
/// </summary>
public static class UtcTimestamps
{
    public sealed class Json : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(
            ref Utf8JsonReader reader,
            Type typeToConvert,
            JsonSerializerOptions options
        )
        {
            if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
            {
                throw new JsonException("Expected an ISO 8601 date and time, e.g. \"2026-01-31T12:00:00Z\".");
            }

            return value.ToUniversalTime();
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value);
    }

    /// <summary>Binds a DateTimeOffset from anywhere but the body as MVC does, then converts it to UTC.</summary>
    public sealed class Binders : IModelBinderProvider
    {
        public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
            context.Metadata.UnderlyingOrModelType == typeof(DateTimeOffset)
            && context.BindingInfo.BindingSource?.CanAcceptDataFrom(BindingSource.Body) != true
                ? new Binder(
                    new SimpleTypeModelBinder(
                        context.Metadata.ModelType,
                        context.Services.GetRequiredService<ILoggerFactory>()
                    )
                )
                : null;
    }

    private sealed class Binder(IModelBinder inner) : IModelBinder
    {
        public async Task BindModelAsync(ModelBindingContext context)
        {
            await inner.BindModelAsync(context);
            if (context.Result is { IsModelSet: true, Model: DateTimeOffset value })
            {
                context.Result = ModelBindingResult.Success(value.ToUniversalTime());
            }
        }
    }
}
