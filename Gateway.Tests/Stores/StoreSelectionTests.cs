using Gateway.Configuration;
using Gateway.Stores;

namespace Gateway.Tests.Stores;

/// <summary>Which store a configuration selects, and the errors that name the keys to fix.</summary>
public sealed class StoreSelectionTests
{
    private static readonly IReadOnlySet<StoreProvider> ThisBuild = new HashSet<StoreProvider> { StoreProvider.Redis, StoreProvider.Postgres, StoreProvider.Memory };
    private static readonly IReadOnlySet<StoreProvider> Every = Enum.GetValues<StoreProvider>().ToHashSet();

    // requested, connection strings set ("r" Redis, "p" Postgres, "s" Sqlite), chosen store, connection string chosen
    [Theory]
    [InlineData(StoreProvider.Auto, "", StoreProvider.Sqlite, StoreSelection.DefaultSqlite)]
    [InlineData(StoreProvider.Auto, "r", StoreProvider.Redis, "redis-cs")]
    [InlineData(StoreProvider.Auto, "p", StoreProvider.Postgres, "postgres-cs")]
    [InlineData(StoreProvider.Auto, "s", StoreProvider.Sqlite, "sqlite-cs")]
    [InlineData(StoreProvider.Redis, "r", StoreProvider.Redis, "redis-cs")]
    [InlineData(StoreProvider.Redis, "rps", StoreProvider.Redis, "redis-cs")]
    [InlineData(StoreProvider.Postgres, "rp", StoreProvider.Postgres, "postgres-cs")]
    [InlineData(StoreProvider.Sqlite, "s", StoreProvider.Sqlite, "sqlite-cs")]
    [InlineData(StoreProvider.Memory, "", StoreProvider.Memory, "")]
    [InlineData(StoreProvider.Memory, "rps", StoreProvider.Memory, "")]
    public void Choose_ValidConfiguration_SelectsTheStore(StoreProvider requested, string set, StoreProvider expected, string connectionString)
    {
        var selection = StoreSelection.Choose(requested, ConnectionStrings(set), Every);

        Assert.Null(selection.Error);
        Assert.Equal(expected, selection.Provider);
        Assert.Equal(connectionString, selection.ConnectionString);
        Assert.Equal(requested == StoreProvider.Auto && set == "", selection.Defaulted);
    }

    [Theory]
    [InlineData(StoreProvider.Auto, "rp", "ConnectionStrings:Redis and ConnectionStrings:Postgres")]
    [InlineData(StoreProvider.Auto, "ps", "ConnectionStrings:Postgres and ConnectionStrings:Sqlite")]
    [InlineData(StoreProvider.Auto, "rs", "ConnectionStrings:Redis and ConnectionStrings:Sqlite")]
    [InlineData(StoreProvider.Auto, "rps", "ConnectionStrings:Redis and ConnectionStrings:Postgres and ConnectionStrings:Sqlite")]
    [InlineData(StoreProvider.Redis, "", "ConnectionStrings:Redis is empty")]
    [InlineData(StoreProvider.Redis, "ps", "ConnectionStrings:Redis is empty")]
    [InlineData(StoreProvider.Postgres, "r", "ConnectionStrings:Postgres is empty")]
    [InlineData(StoreProvider.Sqlite, "", "ConnectionStrings:Sqlite is empty")]
    [InlineData((StoreProvider)42, "", "Gateway:Store:Provider must be one of")]
    public void Choose_InvalidConfiguration_FailsNamingTheKeys(StoreProvider requested, string set, string expected)
    {
        var selection = StoreSelection.Choose(requested, ConnectionStrings(set), Every);

        Assert.NotNull(selection.Error);
        Assert.Contains(expected, selection.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StoreProvider.Sqlite, "s", "Gateway:Store:Provider is Sqlite")]
    [InlineData(StoreProvider.Sqlite, "", "Gateway:Store:Provider is Sqlite")]
    [InlineData(StoreProvider.Auto, "s", "ConnectionStrings:Sqlite is set")]
    public void Choose_StoreMissingFromTheBuild_FailsSayingSo(StoreProvider requested, string set, string expected)
    {
        var selection = StoreSelection.Choose(requested, ConnectionStrings(set), ThisBuild);

        Assert.NotNull(selection.Error);
        Assert.Contains(expected, selection.Error, StringComparison.Ordinal);
        Assert.Contains("not available in this build", selection.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StoreProvider.Auto, "")]
    [InlineData(StoreProvider.Auto, "r")]
    [InlineData(StoreProvider.Redis, "r")]
    [InlineData(StoreProvider.Auto, "p")]
    [InlineData(StoreProvider.Postgres, "rp")]
    [InlineData(StoreProvider.Memory, "ps")]
    public void Choose_StoreInTheBuild_Selected(StoreProvider requested, string set)
    {
        Assert.Null(StoreSelection.Choose(requested, ConnectionStrings(set), ThisBuild).Error);
    }

    [Fact]
    public void Choose_BlankConnectionString_CountsAsUnset()
    {
        var selection = StoreSelection.Choose(StoreProvider.Auto, key => key == "ConnectionStrings:Postgres" ? "  " : key == "ConnectionStrings:Redis" ? "redis-cs" : null, Every);

        Assert.Null(selection.Error);
        Assert.Equal(StoreProvider.Redis, selection.Provider);
    }

    private static Func<string, string?> ConnectionStrings(string set) => key => key switch
    {
        "ConnectionStrings:Redis" when set.Contains('r') => "redis-cs",
        "ConnectionStrings:Postgres" when set.Contains('p') => "postgres-cs",
        "ConnectionStrings:Sqlite" when set.Contains('s') => "sqlite-cs",
        _ => null,
    };
}
