namespace Gateway.Configuration;

/// <summary>The store behind sessions, tokens, links, secrets, throttle and audit (<c>Gateway:Store:Provider</c>).</summary>
public enum StoreProvider
{
    /// <summary>The one store whose connection string is set (<c>ConnectionStrings:Redis</c>, <c>:Postgres</c> or <c>:Sqlite</c>).</summary>
    Auto,

    /// <summary>Redis (<c>ConnectionStrings:Redis</c>): many instances.</summary>
    Redis,

    /// <summary>PostgreSQL (<c>ConnectionStrings:Postgres</c>): many instances.</summary>
    Postgres,

    /// <summary>SQLite (<c>ConnectionStrings:Sqlite</c>): one instance, durable.</summary>
    Sqlite,

    /// <summary>This process only, lost on restart: tests and throwaway runs.</summary>
    Memory,
}
