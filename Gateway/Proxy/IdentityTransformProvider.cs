using Gateway.Assertions;
using Gateway.Configuration;
using Gateway.Http;
using Gateway.Sessions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Proxy;

/// <summary>
/// Applies <see cref="IdentityHeaders"/> to every route, adds the signed assertion (<see cref="AssertionIssuer"/>,
/// audience from the route) when that is on, and keeps a backend from setting any of the gateway's
/// cookies on the client (session, remember-me, logout marker): that would let a backend plant a session, a
/// remember-me token, or a duplicate that locks the user out. The name is read the way a browser will send the
/// cookie back, not as the header spells it.
/// </summary>
internal sealed partial class IdentityTransformProvider(IOptionsMonitor<GatewayOptions> options, AssertionIssuer assertions, ILogger<IdentityTransformProvider> logger)
    : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        var audience = AssertionIssuer.AudienceOf(context.Route);
        context.AddRequestTransform(transform =>
        {
            var current = options.CurrentValue;
            IdentityHeaders.Apply(transform.ProxyRequest, transform.HttpContext.User, current);
            return assertions.Enabled && transform.HttpContext.User.Identity?.IsAuthenticated == true
                ? AddAssertionAsync(transform, audience, current)
                : ValueTask.CompletedTask;
        });
        context.AddResponseTransform(transform =>
        {
            if (transform.ProxyResponse is { } response && response.Headers.NonValidated.TryGetValues("Set-Cookie", out var fromBackend))
            {
                var name = options.CurrentValue.Session.CookieName;
                var planted = fromBackend.Where(c => IdentityHeaders.IsSessionCookie(SentName(c), name)).ToHashSet(StringComparer.Ordinal);
                if (planted.Count > 0)
                {
                    var headers = transform.HttpContext.Response.Headers;
                    headers.SetCookie = headers.SetCookie.Where(c => c is null || !planted.Contains(c)).ToArray();
                }
            }
            return ValueTask.CompletedTask;
        });
    }

    // Never forwarded without the assertion it should carry: a key that cannot be read is the store being down (503),
    // and answering here stops YARP from forwarding.
    private async ValueTask AddAssertionAsync(RequestTransformContext transform, string audience, GatewayOptions current)
    {
        var context = transform.HttpContext;
        try
        {
            if (await assertions.GetHeaderValueAsync(context, audience, context.RequestAborted) is { } assertion)
            {
                transform.ProxyRequest.Headers.TryAddWithoutValidation(current.Headers.Assertion, assertion);
            }
        }
        catch (SessionStoreUnavailableException e)
        {
            LogNoKeys(logger, context.Request.Path, e.TimedOut);
            await GatewayResponses.StoreUnavailableAsync(context, current.Store.RetryAfter);
        }
    }

    [LoggerMessage(EventId = 2701, EventName = "AssertionKeysUnavailable", Level = LogLevel.Warning,
        Message = "Assertion keys unavailable on {Path} (store timed out: {TimedOut}): answered 503 instead of forwarding without the assertion.")]
    private static partial void LogNoKeys(ILogger logger, PathString path, bool timedOut);

    /// <summary>
    /// The name a browser will send this cookie back under: trimmed (<c>sid =x</c> is <c>sid</c>); a nameless
    /// cookie (<c>=sid=x</c>, or no <c>=</c> at all) is sent as its bare value, which reads as the part before
    /// the value's own <c>=</c>.
    /// </summary>
    internal static ReadOnlySpan<char> SentName(string setCookie)
    {
        var pair = setCookie.AsSpan();
        if (pair.IndexOf(';') is var semi and >= 0)
        {
            pair = pair[..semi];
        }
        var eq = pair.IndexOf('=');
        var name = (eq < 0 ? pair : pair[..eq]).Trim();
        if (eq < 0 || !name.IsEmpty)
        {
            return name;
        }
        var value = pair[(eq + 1)..].Trim();
        var inner = value.IndexOf('=');
        return (inner < 0 ? value : value[..inner]).Trim();
    }
}
