
namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Store</c> section.</summary>
public sealed class StoreOptions
{
    /// <summary>
    /// The store: <see cref="StoreProvider.Auto"/> (the one connection string set among <c>ConnectionStrings:Redis</c>,
    /// <c>:Postgres</c> and <c>:Sqlite</c>; none: SQLite in <c>gateway.db</c> in the configuration directory), or one named. Default <c>Auto</c>.
    /// </summary>
    public StoreProvider Provider { get; set; } = StoreProvider.Auto;

    /// <summary>How often expired rows are deleted (relational stores). Default 5 minutes.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound of one store call; past it the request gets 503. Default 500 ms.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Prefix of every Redis key the gateway writes. Default <c>gw:</c>.</summary>
    public string KeyPrefix { get; set; } = "gw:";

    /// <summary><c>Retry-After</c> sent with a 503 when the store is unavailable. Default 5 seconds.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a session read from the store may be served from this process without asking again (the near cache;
    /// deletes and touches are broadcast on <c>&lt;KeyPrefix&gt;inv</c> so other gateways drop their copy at once), and
    /// how long the answer that a client is not banned may be (new bans are broadcast on <c>&lt;KeyPrefix&gt;inv-bans</c>).
    /// It also bounds how long a lost invalidation message can keep a revoked session alive on one instance.
    /// Default <c>00:00:01</c> with Redis, PostgreSQL or SQLite (SQLite's copies are dropped in process; the bound then
    /// covers only the <c>sessions</c> command run beside the gateway), none with the in-memory store (it holds the
    /// sessions itself); <c>00:00:00</c> turns it off, and every request then reads the store.
    /// </summary>
    public TimeSpan? NearCache { get; set; }

    /// <summary>The near cache's lifetime with a store outside the process's memory when <see cref="NearCache"/> is not set.</summary>
    public static readonly TimeSpan SharedStoreNearCache = TimeSpan.FromSeconds(1);

    /// <summary>The lifetime in force: <see cref="NearCache"/> once <see cref="ApplyStoreDefaults"/> has filled it; zero before.</summary>
    public TimeSpan NearCacheLifetime => NearCache ?? TimeSpan.Zero;

    /// <summary>
    /// Fills the defaults that depend on the kind of store, called where the store is chosen: the near cache is on
    /// whenever a read leaves the process's memory (Redis, PostgreSQL, SQLite), off for the in-memory store.
    /// </summary>
    public void ApplyStoreDefaults(bool sharedStore) => NearCache ??= sharedStore ? SharedStoreNearCache : TimeSpan.Zero;

    /// <summary>Most sessions the near cache holds (and most "not banned" answers). Default 10000.</summary>
    public int NearCacheSize { get; set; } = 10_000;

    /// <summary>
    /// PEM file of the certificate authority that signed the Redis server's TLS certificate, for a private CA the
    /// machine does not trust (relative to the configuration directory). Needs <c>ssl=true</c> in the connection
    /// string; the host name is still checked (<c>sslHost</c>). Default empty: the machine's trust store.
    /// </summary>
    public string TlsCaFile { get; set; } = "";

    /// <summary>
    /// PEM certificate the gateway presents to Redis (Redis's default <c>tls-auth-clients yes</c>), with
    /// <see cref="TlsClientKeyFile"/>. Default empty: none.
    /// </summary>
    public string TlsClientCertificateFile { get; set; } = "";

    /// <summary>PEM private key of <see cref="TlsClientCertificateFile"/>. Default empty.</summary>
    public string TlsClientKeyFile { get; set; } = "";

    /// <summary>
    /// Relational stores: apply the embedded schema migrations at start (under the database's lock). <c>false</c>: only
    /// check the schema version and refuse to start on a mismatch (run <c>dotnet Gateway.dll migrate</c>). Default <c>true</c>.
    /// </summary>
    public bool Migrate { get; set; } = true;
}
