namespace Truust.Domain.Tests;

/// <summary>The checkout the tests run from, for tests that read the sources and the docs.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
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
