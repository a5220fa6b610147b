namespace Truust.Domain.Tests;

public sealed class IdsTests
{
    [Fact]
    public void Ids_created_one_after_another_sort_in_creation_order_even_within_one_millisecond()
    {
        // Histories and ledger trails are read back ordered by id; two rows written in the same millisecond (a
        // WALLET payin publishes its order in the same request that creates the payin) must keep their order.
        var ids = Enumerable.Range(0, 20_000).Select(_ => Ids.New("osc")).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Consecutive_ids_do_not_step_by_one_so_the_next_one_cannot_be_guessed_from_the_last()
    {
        var ids = Enumerable.Range(0, 1_000).Select(_ => Ids.New("ord")).ToList();

        Assert.All(ids, id => Assert.Matches("^ord_[0-9a-hjkmnp-tv-z]{26}$", id));
        // A step of one changes only the last characters; a random step changes far more of them.
        var nearNeighbours = ids.Zip(ids.Skip(1)).Count(p => p.First[..^3] == p.Second[..^3]);
        Assert.True(nearNeighbours < 10,
            $"{nearNeighbours} of 999 consecutive ids differ only in their last three characters.");
    }
}
