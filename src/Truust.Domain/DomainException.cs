namespace Truust.Domain;

/// <summary>
/// An expected business failure. Each carries a stable machine-readable <see cref="Code"/>; the API maps
/// the subclasses to HTTP statuses in one place, so the domain never speaks HTTP.
/// </summary>
public abstract class DomainException(string code, string message) : Exception(message)
{
    /// <summary>Stable, machine-readable error code (for example <c>insufficient_funds</c>).</summary>
    public string Code { get; } = code;
}

/// <summary>A request that breaks a business rule (HTTP 422).</summary>
public class BusinessRuleException(string code, string message, string? field = null) : DomainException(code, message)
{
    /// <summary>The request field at fault, in snake_case, when one is.</summary>
    public string? Field { get; } = field;
}

/// <summary>The state of an object does not allow the request (HTTP 409).</summary>
public class ConflictException(string code, string message) : DomainException(code, message);

/// <summary>A debit larger than the balance it draws on.</summary>
public sealed class InsufficientFundsException(string accountId, long availableMinor, long requestedMinor)
    : BusinessRuleException(
        "insufficient_funds",
        $"Account {accountId} holds {availableMinor} minor units; {requestedMinor} were requested."
    )
{
    public string AccountId { get; } = accountId;
}
