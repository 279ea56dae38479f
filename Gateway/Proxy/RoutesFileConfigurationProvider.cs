using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace Gateway.Proxy;

/// <summary>
/// routes.json, watched for changes, that survives a broken edit. The stock JSON provider empties its data when a
/// reload does not parse, so the routes stay in force only until any other file reloads: appsettings.json fires the
/// root reload token YARP listens to, and YARP then reads an empty <c>ReverseProxy</c> section and drops every route.
/// This provider keeps its last good data when the file does not parse or cannot be read, logs why, and raises no
/// reload for it. The first load still throws, so a broken file stops the start.
/// </summary>
internal sealed partial class RoutesFileConfigurationProvider : JsonConfigurationProvider
{
    private readonly IDisposable? _watch;
    private ILogger _logger = NullLogger.Instance;
    private bool _loaded;

    public RoutesFileConfigurationProvider(RoutesFileConfigurationSource source)
        : base(source)
    {
        // The base class watches only when ReloadOnChange is set, and then empties its data on a failed parse.
        if (source.FileProvider is { } files && source.Path is { } path)
        {
            _watch = ChangeToken.OnChange(() => files.Watch(path), () =>
            {
                Thread.Sleep(source.ReloadDelay);
                if (TryRead())
                {
                    OnReload();
                }
            });
        }
    }

    /// <summary>Where failed reloads are reported; the provider exists before the host's logging does.</summary>
    public void UseLogger(ILogger logger) => _logger = logger;

    /// <summary>The first load as the stock provider does it (throwing); later ones (<c>IConfigurationRoot.Reload</c>) keep the last good data.</summary>
    public override void Load()
    {
        if (!_loaded)
        {
            base.Load();
            _loaded = true;
            return;
        }
        TryRead();
    }

    protected override void Dispose(bool disposing)
    {
        _watch?.Dispose();
        base.Dispose(disposing);
    }

    private bool TryRead()
    {
        var file = Source.FileProvider?.GetFileInfo(Source.Path ?? "");
        var path = file?.PhysicalPath ?? Source.Path ?? "routes.json";
        try
        {
            if (file is null || !file.Exists)
            {
                throw new FileNotFoundException("the file is missing");
            }
            using var stream = file.CreateReadStream();
            Load(stream); // assigns Data only when the whole file parsed
            return true;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            LogRejected(_logger, path, e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 1801, EventName = "RoutesFileRejected", Level = LogLevel.Error,
        Message = "Could not read the routes file {Path}; the last good routes stay in force until it is fixed: {Reason}")]
    private static partial void LogRejected(ILogger logger, string path, string reason);
}
