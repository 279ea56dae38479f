namespace Gateway.Security;

/// <summary>
/// Whether a request carries credentials a browser attaches on its own (the session cookie, cached Basic
/// credentials): the ones a forged cross-site request rides on, which <see cref="CsrfMiddleware"/> checks. The
/// Session scheme, which knows its carriers, answers it.
/// </summary>
internal interface IAmbientCredentials
{
    bool IsCarriedBy(HttpContext context);
}
