using Gateway.Configuration;
using Gateway.Http;
using Gateway.Proxy;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Endpoints;

/// <summary>
/// Last line of the "never a 500 for bad input or a store outage" rule: a store failure anywhere becomes 503
/// with Retry-After, a malformed or oversized request its own 4xx, and a client that went away nothing at all.
/// A request YARP could not forward gets its JSON error body here too (<see cref="ProxyErrors"/>).
/// </summary>
internal sealed partial class GatewayErrorMiddleware(RequestDelegate next, IOptionsMonitor<GatewayOptions> options, ILogger<GatewayErrorMiddleware> logger,
    ILoggerFactory loggers)
{
    private readonly ILogger _proxyLogger = loggers.CreateLogger(typeof(ProxyErrors).FullName!);

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            await ProxyErrors.AnswerAsync(context, _proxyLogger);
        }
        catch (SessionStoreUnavailableException e) when (!context.Response.HasStarted)
        {
            LogStoreFailure(logger, context.Request.Path, e.TimedOut);
            context.Response.Clear();
            await GatewayResponses.StoreUnavailableAsync(context, options.CurrentValue.Store.RetryAfter);
        }
        catch (SessionLimitException) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await GatewayResponses.ProblemAsync(context, StatusCodes.Status403Forbidden, "session_limit", "too many active sessions: sign out elsewhere first");
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await GatewayResponses.ProblemAsync(context, e.StatusCode, "bad_request", e.StatusCode == 413 ? "request body too large" : "malformed request");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; there is nobody to answer.
        }
    }

    [LoggerMessage(EventId = 1500, EventName = "StoreFailureAnswered", Level = LogLevel.Warning, Message = "Session store unavailable on {Path} (timed out: {TimedOut}): answered 503.")]
    private static partial void LogStoreFailure(ILogger logger, PathString path, bool timedOut);
}
