using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Endpoints;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Gateway.Security;

/// <summary>
/// Refuses cross-site request forgery with 403 before a request reaches a gateway endpoint or a backend.
/// Checked: unsafe methods (POST, PUT, PATCH, DELETE and any other non-safe one) authenticated by the session
/// cookie or by Basic credentials, on every route; and every unsafe request to the gateway's own endpoints whatever
/// its credentials (login CSRF: a cross-site form must not sign the victim in as the attacker; forced logout).
/// Basic is checked because a browser that once answered the Basic prompt attaches the cached credentials to every
/// request to the origin, a cross-site form post included, while the <c>SameSite=Lax</c> cookie stays behind; API
/// clients send no <c>Sec-Fetch-Site</c>, <c>Origin</c> or <c>Referer</c> and pass. <c>X-Session-Token</c> is
/// never attached by a browser on its own and passes. A route may also require a custom header from cookie callers
/// (<c>"Metadata": { "Gateway.RequireCsrfHeader": "X-CSRF" }</c>), which a cross-origin page cannot send without a
/// CORS preflight.
/// </summary>
internal sealed partial class CsrfMiddleware(RequestDelegate next, IOptionsMonitor<GatewayOptions> options, ILogger<CsrfMiddleware> logger)
{
    public const string RequireHeaderMetadata = "Gateway.RequireCsrfHeader";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return next(context);
        }

        var settings = options.CurrentValue;
        var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();
        var carrier = context.Features.Get<SessionAuthenticationFeature>() is { Session: not null } feature ? feature.Carrier : null;
        var cookie = carrier == "cookie";
        var ambient = cookie || carrier == "basic";
        var gatewayEndpoint = route is null && request.Path.StartsWithSegments(settings.Endpoints.Prefix, StringComparison.OrdinalIgnoreCase);
        if (!ambient && !gatewayEndpoint)
        {
            return next(context);
        }

        var refusal = OriginRule.Refusal(request, settings.Csrf);
        if (refusal is null && cookie && route?.Config.Metadata?.GetValueOrDefault(RequireHeaderMetadata) is { Length: > 0 } header &&
            string.IsNullOrEmpty(request.Headers[header].ToString()))
        {
            refusal = $"this route needs the {header} header";
        }
        if (refusal is null)
        {
            return next(context);
        }
        LogRefused(logger, request.Method, request.Path, refusal);
        return GatewayResponses.ProblemAsync(context, StatusCodes.Status403Forbidden, "csrf", refusal);
    }

    [LoggerMessage(EventId = 1602, EventName = "CsrfRefused", Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Reason}.")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string reason);
}
