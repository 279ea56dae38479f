using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;

namespace Gateway.Tests.Stores.Sqlite;

// The shared behaviour suites, whole, against the SQLite store: a real file per gateway in a temp directory.

public sealed class SqliteSessionBehaviourTests(SqliteStoreFixture sqlite) : SessionBehaviourTests(sqlite), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteSessionLifecycleTests(SqliteStoreFixture sqlite) : SessionLifecycleTests(sqlite), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteSessionCapEvictTests(SqliteStoreFixture sqlite) : SessionCapEvictTests(sqlite), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteSessionCapRejectTests(SqliteStoreFixture sqlite) : SessionCapRejectTests(sqlite), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteSessionRotationTests(SqliteStoreFixture sqlite) : SessionRotationTests(sqlite), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteUserAgentBindingTests(SqliteStoreFixture sqlite) : UserAgentBindingTests(sqlite), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteSessionRotationRaceTests(SqliteStoreFixture sqlite) : SessionRotationRaceTests(sqlite), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteAssertionTests(SqliteStoreFixture sqlite) : AssertionTests(sqlite), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteRememberMeRedemptionTests(SqliteStoreFixture sqlite) : RememberMeRedemptionTests(sqlite), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteRememberMeRevocationTests(SqliteStoreFixture sqlite) : RememberMeRevocationTests(sqlite), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteBruteForceTests(SqliteStoreFixture sqlite) : AdversarialBruteForceTests(sqlite), IClassFixture<SqliteStoreFixture>
{
    protected override bool OneProcessStore => true;
}

// Not StoredAuditTrailTests: its one extra test needs a record that outlives the gateway's clock (Redis's own TTL);
// SQLite rows expire on the gateway's clock, as in memory.
public sealed class SqliteAuditTrailTests(SqliteStoreFixture sqlite) : AuditTrailTests(sqlite), IClassFixture<SqliteStoreFixture>;

public sealed class SqliteAuditRetentionTests(SqliteStoreFixture sqlite) : AuditRetentionTests(sqlite), IClassFixture<SqliteStoreFixture>;
