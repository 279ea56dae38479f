namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Store</c> section.</summary>
public sealed class StoreOptions
{
    /// <summary>Upper bound of one store call; past it the request gets 503. Default 500 ms.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Prefix of every Redis key the gateway writes. Default <c>gw:</c>.</summary>
    public string KeyPrefix { get; set; } = "gw:";

    /// <summary><c>Retry-After</c> sent with a 503 when the store is unavailable. Default 5 seconds.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
