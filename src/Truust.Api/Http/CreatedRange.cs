using System.Linq.Expressions;
using FluentValidation;

namespace Truust.Api.Http;

/// <summary>
/// The created range a list takes: <c>created_gte</c> (at or after) and <c>created_lt</c> (before), both ISO 8601,
/// read as UTC. <c>GET /v1/orders</c>, <c>/v1/payins</c>, <c>/v1/payouts</c>, <c>/v1/refunds</c> and the journal.
/// </summary>
public interface ICreatedRange
{
    DateTimeOffset? CreatedGte { get; }

    DateTimeOffset? CreatedLt { get; }
}

public static class CreatedRange
{
    /// <summary>A range that ends before it starts is refused (422) rather than answered with an empty list.</summary>
    public static void Rule<T>(AbstractValidator<T> validator)
        where T : ICreatedRange =>
        validator
            .RuleFor(q => q.CreatedLt)
            .GreaterThan(q => q.CreatedGte)
            .When(q => q.CreatedGte is not null && q.CreatedLt is not null)
            .WithMessage("created_lt must be after created_gte.");

    /// <summary>
    /// The rows whose <paramref name="createdAt"/> lies in <paramref name="range"/>. The bounds stay query
    /// parameters (as a captured variable would), so the SQL text is the same whatever the range.
    /// </summary>
    public static IQueryable<T> CreatedWithin<T>(
        this IQueryable<T> query,
        ICreatedRange range,
        Expression<Func<T, DateTimeOffset>> createdAt
    )
    {
        if (range.CreatedGte is { } from)
        {
            query = query.Where(Compare(createdAt, Expression.GreaterThanOrEqual, () => from));
        }

        if (range.CreatedLt is { } to)
        {
            query = query.Where(Compare(createdAt, Expression.LessThan, () => to));
        }

        return query;
    }

    private static Expression<Func<T, bool>> Compare<T>(
        Expression<Func<T, DateTimeOffset>> createdAt,
        Func<Expression, Expression, BinaryExpression> compare,
        Expression<Func<DateTimeOffset>> bound
    ) => Expression.Lambda<Func<T, bool>>(compare(createdAt.Body, bound.Body), createdAt.Parameters);
}
