namespace Gateway.Telemetry;

/// <summary>
/// A store failure that knows whether it was a timeout, so <see cref="StoreCallScope"/> can count it as one without
/// this folder knowing the stores' own exception types.
/// </summary>
internal interface IStoreTimeout
{
    bool TimedOut { get; }
}
