using System.Text;
using System.Text.Encodings.Web;
using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Demo;

/// <summary>
/// For a first run only (<c>Gateway:Demo:Upstream</c>): a tiny backend on a loopback port that shows the
/// headers it received, so a newcomer sees what the gateway injected (and what it removed). It starts only when the
/// routes loaded at start send traffic to its address: a deployment with its own routes never opens that port (a
/// second gateway on the same host would otherwise fail to bind it), and needs no setting to turn it off.
/// </summary>
internal sealed partial class DemoUpstream(IOptions<GatewayOptions> options, IConfiguration configuration, ILogger<DemoUpstream> logger)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var url = options.Value.Demo.Upstream;
        if (url.Length == 0)
        {
            return;
        }
        if (!RoutesPointAt(configuration, new Uri(url)))
        {
            LogNotRouted(logger, url);
            return;
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        _app = builder.Build();
        _app.Run(EchoAsync);
        await _app.StartAsync(cancellationToken);
        LogListening(logger, url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>True when a cluster destination in the loaded routes is the demo's address (any loopback name).</summary>
    internal static bool RoutesPointAt(IConfiguration configuration, Uri demo)
    {
        var destinations = configuration.GetSection("ReverseProxy:Clusters").GetChildren()
            .SelectMany(cluster => cluster.GetSection("Destinations").GetChildren())
            .Select(destination => destination["Address"]);
        return destinations.Any(address => Uri.TryCreate(address, UriKind.Absolute, out var uri)
            && uri.Scheme == demo.Scheme && uri.Port == demo.Port
            && (string.Equals(uri.Host, demo.Host, StringComparison.OrdinalIgnoreCase) || (uri.IsLoopback && demo.IsLoopback)));
    }

    private static Task EchoAsync(HttpContext context)
    {
        var html = HtmlEncoder.Default;
        var rows = new StringBuilder();
        foreach (var (name, value) in context.Request.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            var mark = name.StartsWith("X-Auth-", StringComparison.OrdinalIgnoreCase) ? " class=\"identity\"" : "";
            rows.Append($"<tr{mark}><th>{html.Encode(name)}</th><td>{html.Encode(value.ToString())}</td></tr>\n");
        }
        var user = context.Request.Headers["X-Auth-User"].ToString();
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action *";
        return context.Response.WriteAsync($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Demo upstream</title>
            <style>body{"{"}font-family:system-ui,sans-serif;margin:2rem{"}"} th{"{"}text-align:left;padding-right:1rem{"}"} .identity{"{"}background:#e6f4ea{"}"}</style></head>
            <body><h1>Hello, {html.Encode(user.Length > 0 ? user : "anonymous")}</h1>
            <p>This page is the demo upstream. It shows the request exactly as the gateway forwarded it: identity headers are highlighted; no session cookie and no password reach it.</p>
            <p>Path: <code>{html.Encode(context.Request.Path + context.Request.QueryString)}</code></p>
            <table>{rows}</table>
            <form method="post" action="/auth/logout"><button type="submit">Sign out</button></form>
            </body></html>
            """, context.RequestAborted);
    }

    [LoggerMessage(EventId = 1002, EventName = "DemoUpstreamListening", Level = LogLevel.Warning,
        Message = "Demo upstream listening on {Url}: turn it off (Gateway:Demo:Upstream=\"\") outside a first run.")]
    private static partial void LogListening(ILogger logger, string url);

    [LoggerMessage(EventId = 1003, EventName = "DemoUpstreamNotRouted", Level = LogLevel.Debug,
        Message = "Demo upstream {Url} not started: no route points at it.")]
    private static partial void LogNotRouted(ILogger logger, string url);
}
