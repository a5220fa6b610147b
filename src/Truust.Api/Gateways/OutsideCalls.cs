using Truust.Api.Persistence;
using Truust.Domain;

namespace Truust.Api.Gateways;

/// <summary>
/// Every call to the card processor passes here first: the request's open transaction commits (the intent the call
/// serves is durable before the call is made), and a call made from inside a unit of work fails loudly, because it
/// would hold row locks across the network and could leave a charge with no record of why it was made.
/// </summary>
public sealed class CommitFirstCardGateway(ICardGateway inner, UnitOfWork unitOfWork) : ICardGateway
{
    public async Task<CardAuthorization> AuthorizeAsync(
        string reference,
        Money amount,
        CardDetails card,
        CancellationToken ct
    )
    {
        await unitOfWork.CommitBeforeOutsideCallAsync(ct);
        return await inner.AuthorizeAsync(reference, amount, card, ct);
    }

    public async Task<CardAuthorization> CompleteChallengeAsync(
        string reference,
        bool authenticated,
        CancellationToken ct
    )
    {
        await unitOfWork.CommitBeforeOutsideCallAsync(ct);
        return await inner.CompleteChallengeAsync(reference, authenticated, ct);
    }

    public async Task RefundAsync(string refundReference, string chargeReference, Money amount, CancellationToken ct)
    {
        await unitOfWork.CommitBeforeOutsideCallAsync(ct);
        await inner.RefundAsync(refundReference, chargeReference, amount, ct);
    }

    public async Task<CardAuthorization?> FindChargeAsync(string reference, CancellationToken ct)
    {
        await unitOfWork.CommitBeforeOutsideCallAsync(ct);
        return await inner.FindChargeAsync(reference, ct);
    }
}

/// <summary>The same rule for the bank (see <see cref="CommitFirstCardGateway"/>).</summary>
public sealed class CommitFirstBankGateway(IBankGateway inner, UnitOfWork unitOfWork) : IBankGateway
{
    public async Task<BankTransfer> SubmitTransferAsync(
        string reference,
        string iban,
        Money amount,
        DateTimeOffset asOf,
        CancellationToken ct
    )
    {
        await unitOfWork.CommitBeforeOutsideCallAsync(ct);
        return await inner.SubmitTransferAsync(reference, iban, amount, asOf, ct);
    }

    public async Task<BankTransfer> GetTransferAsync(string reference, DateTimeOffset asOf, CancellationToken ct)
    {
        await unitOfWork.CommitBeforeOutsideCallAsync(ct);
        return await inner.GetTransferAsync(reference, asOf, ct);
    }
}
