using Gateway.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy;

/// <summary>
/// YARP answers a failed forward with a bare status and no body. When the backend is down, slow or has no healthy
/// destination, this writes the gateway's short JSON error instead (502, 503 with Retry-After, 504). The session
/// is not touched: a backend failure says nothing about the caller. Called by the error middleware (<c>Endpoints/GatewayErrorMiddleware</c>)
/// once the request is done, so forwarding takes no extra asynchronous step of its own.
/// </summary>
internal static partial class ProxyErrors
{
    private const string RetryAfterSeconds = "5";

    /// <summary>Writes the error body when YARP failed to forward this request and nothing was sent yet.</summary>
    public static Task AnswerAsync(HttpContext context, ILogger logger)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is not { } failure || context.Response.HasStarted ||
            context.RequestAborted.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        var (status, error, detail) = failure.Error switch
        {
            ForwarderError.NoAvailableDestinations => (StatusCodes.Status503ServiceUnavailable, "no_backend", "no healthy backend available, retry later"),
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "backend_timeout", "the backend did not answer in time"),
            _ when context.Response.StatusCode == StatusCodes.Status504GatewayTimeout => (StatusCodes.Status504GatewayTimeout, "backend_timeout", "the backend did not answer in time"),
            _ when context.Response.StatusCode is >= 400 and < 500 => (context.Response.StatusCode, "bad_request", "the request could not be forwarded"),
            _ => (StatusCodes.Status502BadGateway, "bad_gateway", "the backend is unreachable or failed"),
        };
        LogForwardFailed(logger, context.Request.Path, failure.Error, status);
        context.Response.Clear();
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
        }
        return GatewayResponses.ProblemAsync(context, status, error, detail);
    }

    [LoggerMessage(EventId = 1800, EventName = "ForwardFailed", Level = LogLevel.Warning, Message = "Forwarding {Path} failed ({Error}): answered {Status}.")]
    private static partial void LogForwardFailed(ILogger logger, PathString path, ForwarderError error, int status);
}
