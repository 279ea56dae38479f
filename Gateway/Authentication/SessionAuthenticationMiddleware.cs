namespace Gateway.Authentication;

/// <summary>
/// Authenticates every request with the Session scheme, in place of ASP.NET Core's authentication middleware: the
/// same outcome (<see cref="HttpContext.User"/>, the <see cref="SessionAuthenticationFeature"/>), without resolving
/// an authentication service and a handler per request. A session served from the near cache passes without an
/// await. Challenges and forbids still go through the scheme's <see cref="SessionAuthenticationHandler"/>, which
/// also answers <c>HttpContext.AuthenticateAsync()</c> from the same outcome. Unlike the framework's middleware it
/// offers requests to no remote scheme (<c>IAuthenticationRequestHandler</c>, e.g. an OpenID Connect callback): a
/// scheme of that kind added later needs <c>UseAuthentication()</c> back in front of this.
/// </summary>
internal sealed class SessionAuthenticationMiddleware(RequestDelegate next, SessionAuthenticator authenticator)
{
    /// <summary>The key <c>UseAuthentication</c> sets; present, the host does not add the framework's middleware.</summary>
    public const string SetKey = "__AuthenticationMiddlewareSet";

    public Task InvokeAsync(HttpContext context)
    {
        var pending = authenticator.AuthenticateAsync(context, SessionAuthenticationFeature.Of(context));
        return pending.IsCompletedSuccessfully ? next(context) : ThenAsync(pending, context);
    }

    private async Task ThenAsync(ValueTask pending, HttpContext context)
    {
        await pending;
        await next(context);
    }
}
