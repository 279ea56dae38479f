using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A backend that holds connections open, on Kestrel (loopback, free port), for what WireMock cannot do:
/// <c>/ws</c> echoes WebSocket messages prefixed with the <c>X-Auth-User</c> it was opened as; <c>/events</c> is a
/// server-sent-events stream and <c>/slow</c> a plain response, both writing a line every 100 ms until the client
/// goes; anything else answers "ok". <c>/page</c> serves the HTML of a browser test.
/// </summary>
public sealed class LiveBackend : IAsyncDisposable
{
    private WebApplication _app = null!;

    public string Url { get; private set; } = "";

    /// <summary>HTML served at <c>/page</c>.</summary>
    public string Page { get; set; } = "<!doctype html><title>page</title>";

    public static async Task<LiveBackend> StartAsync()
    {
        var backend = new LiveBackend();
        backend._app = LoopbackApp.CreateBuilder().Build();
        backend._app.UseWebSockets();
        backend._app.Map("/ws", EchoAsync);
        backend._app.Map("/events", context => TrickleAsync(context, "text/event-stream", "data: tick\n\n"));
        backend._app.Map("/slow", context => TrickleAsync(context, "text/plain", "tick\n"));
        backend._app.Map("/page", context =>
        {
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync(backend.Page);
        });
        backend._app.Map("/{**rest}", () => "ok");
        backend.Url = await LoopbackApp.StartAsync(backend._app);
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A WebSocket that answers each message with "user: message", the user being the <c>X-Auth-User</c> it was opened as.</summary>
    public static async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        var user = context.Request.Headers["X-Auth-User"].ToString();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }
                var answer = Encoding.UTF8.GetBytes($"{user}: {Encoding.UTF8.GetString(buffer, 0, received.Count)}");
                await socket.SendAsync(answer, WebSocketMessageType.Text, true, context.RequestAborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The gateway dropped the connection.
        }
    }

    private static async Task TrickleAsync(HttpContext context, string contentType, string line)
    {
        context.Response.ContentType = contentType;
        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.WriteAsync(line, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(100, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
