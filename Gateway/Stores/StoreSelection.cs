using Gateway.Configuration;

namespace Gateway.Stores;

/// <summary>
/// Which store the gateway uses, decided once at start from <c>Gateway:Store:Provider</c> and the connection strings:
/// <c>Auto</c> takes the one connection string that is set (none: SQLite in <c>gateway.db</c>); two or more with <c>Auto</c>,
/// or a named store without its connection string, is a configuration error reported with the others at start.
/// </summary>
/// <param name="Provider">The store chosen (never <see cref="StoreProvider.Auto"/>).</param>
/// <param name="ConnectionString">Its connection string (empty for <see cref="StoreProvider.Memory"/>).</param>
/// <param name="Error">Why no store could be chosen, naming the keys to fix; null when one was.</param>
internal sealed record StoreSelection(StoreProvider Provider, string ConnectionString, string? Error)
{
    /// <summary>The connection string key of each store that has one, in the order errors name them.</summary>
    public static readonly IReadOnlyList<(StoreProvider Provider, string Key)> ConnectionKeys =
    [
        (StoreProvider.Redis, "ConnectionStrings:Redis"),
        (StoreProvider.Postgres, "ConnectionStrings:Postgres"),
        (StoreProvider.Sqlite, "ConnectionStrings:Sqlite"),
    ];

    /// <summary>The store <see cref="StoreProvider.Auto"/> uses when no connection string is set: <c>gateway.db</c> in the configuration directory.</summary>
    public const string DefaultSqlite = "Data Source=gateway.db";

    /// <summary>True when <see cref="StoreProvider.Auto"/> found no connection string and fell back on the default store.</summary>
    public bool Defaulted { get; init; }

    /// <summary>
    /// Chooses the store for <paramref name="requested"/>, reading connection strings by key through
    /// <paramref name="connectionString"/>; <paramref name="available"/> are the stores this build has.
    /// </summary>
    public static StoreSelection Choose(StoreProvider requested, Func<string, string?> connectionString, IReadOnlySet<StoreProvider> available)
    {
        if (!Enum.IsDefined(requested))
        {
            return Failed($"Gateway:Store:Provider must be one of {string.Join(", ", Enum.GetNames<StoreProvider>())} (got {requested}).");
        }
        if (requested == StoreProvider.Memory)
        {
            return new StoreSelection(StoreProvider.Memory, "", null);
        }
        var set = ConnectionKeys.Where(k => !string.IsNullOrWhiteSpace(connectionString(k.Key))).ToList();
        if (requested == StoreProvider.Auto)
        {
            if (set.Count > 1)
            {
                return Failed($"{string.Join(" and ", set.Select(k => k.Key))} are {(set.Count == 2 ? "both" : "all")} set, and Gateway:Store:Provider is Auto: "
                    + "set only one, or name the store to use in Gateway:Store:Provider.");
            }
            if (set.Count == 0)
            {
                // The embedded default: durable, one process (the in-memory store only where this build has no SQLite).
                return available.Contains(StoreProvider.Sqlite)
                    ? new StoreSelection(StoreProvider.Sqlite, DefaultSqlite, null) { Defaulted = true }
                    : new StoreSelection(StoreProvider.Memory, "", null) { Defaulted = true };
            }
            return Available(set[0].Provider, connectionString(set[0].Key)!, available, $"{set[0].Key} is set");
        }
        var key = ConnectionKeys.First(k => k.Provider == requested).Key;
        var value = connectionString(key);
        if (available.Contains(requested) && string.IsNullOrWhiteSpace(value))
        {
            return Failed($"Gateway:Store:Provider is {requested}, but {key} is empty: set it, or choose another store.");
        }
        return Available(requested, value ?? "", available, $"Gateway:Store:Provider is {requested}");
    }

    private static StoreSelection Available(StoreProvider provider, string connectionString, IReadOnlySet<StoreProvider> available, string why) =>
        available.Contains(provider)
            ? new StoreSelection(provider, connectionString, null)
            : Failed($"{why}, but the {provider} store is not available in this build.");

    private static StoreSelection Failed(string error) => new(StoreProvider.Memory, "", error);
}
