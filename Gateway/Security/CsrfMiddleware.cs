using Gateway.Configuration;
using Gateway.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Gateway.Security;

/// <summary>
/// Refuses cross-site request forgery with 403 before a request reaches a gateway endpoint or a backend.
/// Checked: unsafe methods (POST, PUT, PATCH, DELETE and any other non-safe one) and upgrade requests (a WebSocket
/// handshake is a GET, but opens a channel both ways: cross-site WebSocket hijacking) carrying ambient credentials,
/// on every route; and every unsafe request to the gateway's own endpoints whatever its credentials (login CSRF: a
/// cross-site form must not sign the victim in as the attacker; forced logout). Ambient credentials are the ones a
/// browser attaches by itself: the session cookie, and Basic credentials, which a browser that once answered the
/// Basic prompt attaches to every request to the origin, a cross-site form post included, while the
/// <c>SameSite=Lax</c> cookie stays behind. API clients send no <c>Sec-Fetch-Site</c>, <c>Origin</c> or
/// <c>Referer</c> and pass. <c>X-Session-Token</c> is never attached by a browser on its own and passes. A route may
/// also require a custom header from ambient callers (<c>"Metadata": { "Gateway.RequireCsrfHeader": "X-CSRF" }</c>),
/// which a cross-origin page cannot send without a CORS preflight (not of upgrade requests: a browser cannot add a
/// header to a WebSocket handshake). The Session scheme asks <see cref="Refusal"/> before it looks Basic credentials
/// up, so a refused request never leaves a new session or cookie behind. Forward auth judges the original request
/// instead of the call to verify (<see cref="CsrfSubject"/>).
/// </summary>
internal sealed partial class CsrfMiddleware(RequestDelegate next, IOptionsMonitor<GatewayOptions> options, IAmbientCredentials ambient, ILogger<CsrfMiddleware> logger)
{
    public const string RequireHeaderMetadata = "Gateway.RequireCsrfHeader";

    public Task InvokeAsync(HttpContext context)
    {
        if (!IsChecked(context))
        {
            return next(context);
        }
        var request = context.Request;
        if (Refusal(context, options.CurrentValue, ambient.IsCarriedBy(context)) is not { } refusal)
        {
            return next(context);
        }
        LogRefused(logger, request.Method, request.Path, refusal);
        return GatewayResponses.ProblemAsync(context, StatusCodes.Status403Forbidden, "csrf", refusal);
    }

    /// <summary>
    /// Why this request is refused, or null. <paramref name="ambient"/>: it carries a session cookie or Basic
    /// credentials. Safe requests (GET, HEAD, OPTIONS, TRACE that are not upgrades) are never refused.
    /// </summary>
    public static string? Refusal(HttpContext context, GatewayOptions settings, bool ambient)
    {
        if (!IsChecked(context))
        {
            return null;
        }
        var request = context.Request;
        var upgrade = IsUpgrade(context);
        var subject = context.Features.Get<CsrfSubject>();
        var metadata = subject is null ? context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.Metadata : subject.RouteMetadata;
        var gatewayEndpoint = subject is null && context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is null &&
                              request.Path.StartsWithSegments(settings.Endpoints.Prefix, StringComparison.OrdinalIgnoreCase);
        if (!ambient && !gatewayEndpoint)
        {
            return null;
        }

        var refusal = OriginRule.Refusal(request, settings.Csrf, subject?.Origin);
        if (refusal is null && ambient && !upgrade && metadata?.GetValueOrDefault(RequireHeaderMetadata) is { Length: > 0 } header &&
            string.IsNullOrEmpty(request.Headers[header].ToString()))
        {
            refusal = $"this route needs the {header} header";
        }
        return refusal;
    }

    private static bool IsChecked(HttpContext context)
    {
        var method = context.Features.Get<CsrfSubject>()?.Method ?? context.Request.Method;
        return IsUpgrade(context) ||
               !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));
    }

    private static bool IsUpgrade(HttpContext context) =>
        HttpMethods.IsGet(context.Features.Get<CsrfSubject>()?.Method ?? context.Request.Method) &&
        (context.Request.Headers.Upgrade.Count > 0 || context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true });

    [LoggerMessage(EventId = 1602, EventName = "CsrfRefused", Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Reason}.")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string reason);
}
