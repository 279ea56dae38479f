using System.Text.Encodings.Web;
using Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Browser;

/// <summary>
/// A small web app behind the gateway, on Kestrel (loopback, free port), as a browser user would meet one:
/// <list type="bullet">
/// <item><c>GET /any/path</c>: an HTML page showing the path and query and the identity headers it received,
/// cacheable (<c>private, max-age=600</c>) so the back-button test is not won by accident;</item>
/// <item><c>GET /api/...</c>: the same facts as JSON;</item>
/// <item><c>/ws</c>: a WebSocket that answers each message with "user: message";</item>
/// <item><c>GET /public/logo.svg</c>: a logo;</item>
/// <item><c>GET /framer?src=</c>: a page framing another URL;</item>
/// <item><c>GET /poster?action=&amp;field=</c>: a page with a form posting to another URL;</item>
/// <item><c>GET /events</c>: a server-sent event stream of three events naming the user.</item>
/// </list>
/// </summary>
public sealed class PageBackend : IAsyncDisposable
{
    public const string ProtectedMarker = "protected-content";

    /// <summary>A logo for the login page tests, served at <c>/public/logo.svg</c> (an anonymous route).</summary>
    public const string Logo = """
        <svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40">
        <rect x="2" y="6" width="28" height="28" rx="7" fill="#2563eb"/><path d="M10 20h12M16 14v12" stroke="#fff" stroke-width="3"/>
        <text x="40" y="27" font-family="sans-serif" font-size="19" font-weight="700" fill="#334155">Acme Corp</text></svg>
        """;

    private readonly WebApplication _app;

    private PageBackend(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<PageBackend> StartAsync()
    {
        var app = LoopbackApp.CreateBuilder().Build();
        app.UseWebSockets();
        app.Map("/ws", LiveBackend.EchoAsync);
        app.MapGet("/events", EventsAsync);
        app.MapGet("/api/{**rest}", (HttpContext context) => Results.Json(new
        {
            user = context.Request.Headers["X-Auth-User"].ToString(),
            session = context.Request.Headers["X-Auth-Session"].ToString(),
            cookie = context.Request.Headers.Cookie.ToString(),
        }));
        app.MapGet("/public/logo.svg", () => Results.Text(Logo, "image/svg+xml"));
        app.MapGet("/framer", (string src) => Results.Content(
            $"<!doctype html><html lang=\"en\"><title>framer</title><iframe src=\"{HtmlEncoder.Default.Encode(src)}\"></iframe></html>", "text/html"));
        app.MapGet("/poster", (string action, string? field) => Results.Content(
            $"<!doctype html><html lang=\"en\"><title>poster</title><form method=\"post\" action=\"{HtmlEncoder.Default.Encode(action)}\">" +
            (field is null ? "" : $"<input type=\"hidden\" name=\"{HtmlEncoder.Default.Encode(field.Split('=')[0])}\" value=\"{HtmlEncoder.Default.Encode(field.Split('=')[^1])}\">") +
            "<button>Go</button></form></html>", "text/html"));
        app.MapFallback(PageAsync);
        return new PageBackend(app, await LoopbackApp.StartAsync(app));
    }

    private static Task PageAsync(HttpContext context)
    {
        var html = HtmlEncoder.Default;
        var request = context.Request;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "private, max-age=600";
        return context.Response.WriteAsync($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Backend page</title></head>
            <body><main id="{ProtectedMarker}">
            <h1>Backend page</h1>
            <p>Path: <output id="path">{html.Encode(request.Path + request.QueryString)}</output></p>
            <p>User: <output id="user">{html.Encode(request.Headers["X-Auth-User"].ToString())}</output></p>
            <p>Roles: <output id="roles">{html.Encode(request.Headers["X-Auth-Roles"].ToString())}</output></p>
            <p>Session: <output id="session">{html.Encode(request.Headers["X-Auth-Session"].ToString())}</output></p>
            <p>Cookie: <output id="cookie">{html.Encode(request.Headers.Cookie.ToString())}</output></p>
            <p>Authorization: <output id="authorization">{html.Encode(request.Headers.Authorization.ToString())}</output></p>
            <form method="post" action="/auth/logout"><button type="submit">Sign out</button></form>
            </main></body></html>
            """, context.RequestAborted);
    }

    // Flushed event by event, with a pause, so a buffering proxy would be caught holding them back.
    private static async Task EventsAsync(HttpContext context)
    {
        var user = context.Request.Headers["X-Auth-User"].ToString();
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        for (var i = 1; i <= 3; i++)
        {
            await context.Response.WriteAsync($"id: {i}\ndata: {i} {user}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(50, context.RequestAborted);
        }
        await context.Response.WriteAsync("event: done\ndata: end\n\n", context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
