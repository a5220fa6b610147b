using Truust.Domain.Orders;

namespace Truust.Domain.Tests;

public class ReadmeTests
{
    [Fact]
    public void The_README_shows_exactly_the_transition_table_the_code_enforces()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        const string start = "<!-- transition-table:start -->\n";
        const string end = "\n<!-- transition-table:end -->";
        var from = readme.IndexOf(start, StringComparison.Ordinal);
        var to = readme.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, "README.md must hold the transition table between its markers.");

        var documented = readme[(from + start.Length)..to];
        Assert.Equal(OrderTransitions.ToMarkdown(), documented);
    }

    [Fact]
    public void The_rendered_table_has_one_row_per_transition()
    {
        var rows = OrderTransitions.ToMarkdown().Split('\n').Skip(2).ToList();
        Assert.Equal(OrderTransitions.Table.Count, rows.Count);
        Assert.Contains("| PENDING_RELEASE | release | RELEASED | pay seller | system |", rows);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Truust.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Truust.sln not found above the test binaries.");
    }
}
