using Gateway.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace Gateway.Security;

/// <summary>
/// Refuses ambiguous request paths (<see cref="PathSafety"/>) with 400 before authentication, policy and
/// forwarding. It runs after routing only to read the matched route's <see cref="PathSafety.EncodedSlashesMetadata"/>;
/// nothing has acted on the route yet. An endpoint marked <see cref="PathSafetyDeferredMetadata"/> decides about
/// encoded slashes itself (forward auth judges another request's path); every other refusal still applies to it.
/// </summary>
internal sealed partial class PathSafetyMiddleware(RequestDelegate next, ILogger<PathSafetyMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var refusal = PathSafety.Refusal(PathSafety.RawPath(target), out var encodedSlash);
        if (refusal is null && encodedSlash && context.GetEndpoint()?.Metadata is var metadata &&
            metadata?.GetMetadata<PathSafetyDeferredMetadata>() is null &&
            !PathSafety.AllowsEncodedSlashes(metadata?.GetMetadata<RouteModel>()?.Config.Metadata))
        {
            refusal = PathSafety.EncodedSlashRefusal;
        }
        if (refusal is null)
        {
            return next(context);
        }
        LogRefused(logger, refusal);
        return GatewayResponses.ProblemAsync(context, StatusCodes.Status400BadRequest, "ambiguous_path", refusal);
    }

    [LoggerMessage(EventId = 2900, EventName = "AmbiguousPathRefused", Level = LogLevel.Information, Message = "Refused a request path: {Reason}.")]
    private static partial void LogRefused(ILogger logger, string reason);
}
