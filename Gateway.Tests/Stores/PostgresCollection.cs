using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Stores;

/// <summary>One PostgreSQL server for the tests that share it; each test uses a schema of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
