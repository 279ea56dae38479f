using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Tests that put a concurrent load on the machine (fault and failover tests) run alone, after the parallel ones:
/// on a small shared machine their load would otherwise push other tests' store calls past the store timeout.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "load";
}
