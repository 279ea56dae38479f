using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Configuration;

/// <summary>
/// <see cref="IOptionsMonitor{TOptions}"/> for the <c>Gateway</c> section that survives a bad edit: a change that
/// fails binding or validation is logged with every error and the last good settings stay in force (the stock
/// monitor would throw on every read, turning each request into a 500). The first configuration is still
/// checked at start, where an error stops the gateway.
/// </summary>
internal sealed partial class LastGoodOptionsMonitor : IOptionsMonitor<GatewayOptions>
{
    private readonly OptionsMonitor<GatewayOptions> _inner;
    private readonly IOptionsMonitorCache<GatewayOptions> _cache;
    private readonly ILogger<LastGoodOptionsMonitor> _logger;
    private GatewayOptions _current;

    public LastGoodOptionsMonitor(
        IOptionsFactory<GatewayOptions> factory,
        IEnumerable<IOptionsChangeTokenSource<GatewayOptions>> sources,
        IOptionsMonitorCache<GatewayOptions> cache,
        IOptions<GatewayOptions> startup,
        ILogger<LastGoodOptionsMonitor> logger)
    {
        _inner = new OptionsMonitor<GatewayOptions>(factory, sources, cache);
        _cache = cache;
        _logger = logger;
        _current = startup.Value;
        foreach (var source in sources)
        {
            ChangeToken.OnChange(source.GetChangeToken, Reload);
        }
        Reload();
    }

    public GatewayOptions CurrentValue => Volatile.Read(ref _current);

    public GatewayOptions Get(string? name) => name is null || name == Options.DefaultName ? CurrentValue : _inner.Get(name);

    /// <summary>Listeners hear of changes that passed validation only.</summary>
    public IDisposable? OnChange(Action<GatewayOptions, string?> listener) => _inner.OnChange(listener);

    private void Reload()
    {
        // Change callbacks run newest first, so the stock monitor may not have dropped its cached value yet.
        _cache.TryRemove(Options.DefaultName);
        try
        {
            Volatile.Write(ref _current, _inner.Get(Options.DefaultName));
        }
        catch (OptionsValidationException e)
        {
            LogRejected(_logger, string.Join(" ", e.Failures));
        }
        catch (InvalidOperationException e)
        {
            // The binder's own error, e.g. "Failed to convert configuration value at 'Gateway:Session:IdleTimeout'".
            LogRejected(_logger, e.Message);
        }
    }

    [LoggerMessage(EventId = 1901, EventName = "ConfigurationChangeRejected", Level = LogLevel.Error,
        Message = "Configuration change rejected; the last good Gateway settings stay in force until it is fixed: {Errors}")]
    private static partial void LogRejected(ILogger logger, string errors);
}
