using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>One redis-server for the tests that share it; each gateway host uses its own key prefix.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "redis";
}
