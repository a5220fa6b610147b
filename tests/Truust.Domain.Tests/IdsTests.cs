namespace Truust.Domain.Tests;

public sealed class IdsTests
{
    [Theory]
    [InlineData("ord")]
    [InlineData("pay")]
    [InlineData("wal")]
    [InlineData("cus")]
    [InlineData("ba")]
    public void An_id_is_its_prefix_and_26_lower_case_base32_characters(string prefix)
    {
        var id = Ids.New(prefix);

        Assert.Matches($"^{prefix}_[0-9a-hjkmnp-tv-z]{{26}}$", id);
    }

    [Fact]
    public void Ids_do_not_repeat()
    {
        var ids = Enumerable.Range(0, 100_000).Select(_ => Ids.New("ord")).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Ids_made_in_later_milliseconds_sort_after_earlier_ones()
    {
        var previous = Ids.New("ord");
        for (var i = 0; i < 20; i++)
        {
            Thread.Sleep(2);
            var next = Ids.New("ord");
            Assert.True(string.CompareOrdinal(previous, next) < 0, $"{previous} should sort before {next}");
            previous = next;
        }
    }

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

        // A step of one changes only the last characters; a random step changes far more of them.
        var nearNeighbours = ids.Zip(ids.Skip(1)).Count(p => p.First[..^3] == p.Second[..^3]);
        Assert.True(
            nearNeighbours < 10,
            $"{nearNeighbours} of 999 consecutive ids differ only in their last three characters."
        );
    }

    [Fact]
    public void An_id_carries_its_creation_time_in_its_leading_characters()
    {
        // 48 bits of milliseconds are the first ten base32 characters (50 bits); ids of one instant share them.
        var first = Ids.New("ord");
        var second = Ids.New("ord");

        Assert.Equal(first[..10], second[..10]);
        Assert.NotEqual(first[10..], second[10..]);
    }

    [Fact]
    public void Secrets_are_random_base32_of_the_requested_size()
    {
        var secrets = Enumerable.Range(0, 1_000).Select(_ => Ids.Secret()).ToList();

        Assert.All(secrets, s => Assert.Matches("^[0-9a-hjkmnp-tv-z]{32}$", s));
        Assert.Equal(secrets.Count, secrets.Distinct().Count());
        Assert.Equal(16, Ids.Secret(10).Length);
    }
}
