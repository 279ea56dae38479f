using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Telemetry;

/// <summary>
/// Telemetry tests read process-wide instruments (the Gateway meter, activity sources), so they run alone, after the
/// parallel tests, with a redis-server of their own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "telemetry";
}
