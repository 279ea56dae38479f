using Gateway.Tests.Fixtures;
using Gateway.Tests.Stores;

namespace Gateway.Tests.Integration;

// The shared behaviour suites, whole, against the PostgreSQL store: one server for the collection, a schema per gateway
// (its isolation key). Nothing here but the derived classes.

[Collection(PostgresCollection.Name)]
public sealed class PostgresSessionBehaviourTests(PostgresServer postgres) : SessionBehaviourTests(postgres);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSessionLifecycleTests(PostgresServer postgres) : SessionLifecycleTests(postgres);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSessionCapEvictTests(PostgresServer postgres) : SessionCapEvictTests(postgres);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSessionCapRejectTests(PostgresServer postgres) : SessionCapRejectTests(postgres);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSessionRotationTests(PostgresServer postgres) : SessionRotationTests(postgres);

[Collection(PostgresCollection.Name)]
public sealed class PostgresUserAgentBindingTests(PostgresServer postgres) : UserAgentBindingTests(postgres);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSessionRotationRaceTests(PostgresServer postgres) : SessionRotationRaceTests(postgres);

[Collection(PostgresCollection.Name)]
public sealed class PostgresRememberMeRedemptionTests(PostgresServer postgres) : RememberMeRedemptionTests(postgres);

[Collection(PostgresCollection.Name)]
public sealed class PostgresRememberMeRevocationTests(PostgresServer postgres) : RememberMeRevocationTests(postgres);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditTrailTests(PostgresServer postgres) : StoredAuditTrailTests(postgres);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditRetentionTests(PostgresServer postgres) : AuditRetentionTests(postgres);

[Collection(PostgresCollection.Name)]
public sealed class PostgresBruteForceTests(PostgresServer postgres) : AdversarialBruteForceTests(postgres);

/// <summary>The same with the "not banned" memo on: bans made on one gateway reach the other through NOTIFY.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresNearCacheBruteForceTests(PostgresServer postgres) : AdversarialBruteForceTests(postgres)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Gateway:Store:NearCache"] = "00:00:10" };
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresNearCacheBanTests(PostgresServer postgres) : NearCacheBanTests(postgres);

[Collection(PostgresCollection.Name)]
public sealed class PostgresNearCacheBanBoundTests(PostgresServer postgres) : NearCacheBanBoundTests(postgres);
