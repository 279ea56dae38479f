using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Http;
using Gateway.Security;
using Gateway.Sessions;
using Gateway.Users;
using Microsoft.Extensions.Options;

namespace Gateway.Endpoints;

/// <summary>
/// <c>GET {prefix}/login</c> (the page) and <c>POST {prefix}/login</c> (form, JSON or Basic). A successful login
/// always gets a new session id and ends the session the browser's cookie held (no fixation). Unknown user and
/// wrong password get the same answer.
/// </summary>
internal static class LoginEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, string prefix)
    {
        routes.MapGet(prefix + "/login", (HttpContext context, IOptionsMonitor<GatewayOptions> options) =>
            LoginPage.WriteAsync(context, prefix, options.CurrentValue.Login.Title, ReturnUrl.OrRoot(context.Request.Query["returnUrl"], options.CurrentValue.ForwardAuth.AllowedHosts), "", failed: false))
            .AllowAnonymous();

        routes.MapGet(prefix + LoginPage.StylesheetPath, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.ContentType = "text/css; charset=utf-8";
            return context.Response.WriteAsync(LoginPage.Stylesheet, context.RequestAborted);
        }).AllowAnonymous();

        routes.MapPost(prefix + "/login", PostAsync).AllowAnonymous().WithMetadata(SessionEndpointMetadata.ResolveOnly);
    }

    private static async Task PostAsync(
        HttpContext context, PasswordSignIn signIn, SessionService sessions, SessionCookies cookies, RememberMeService remember,
        AuditTrail audit, IOptionsMonitor<GatewayOptions> options)
    {
        var settings = options.CurrentValue;
        var prefix = settings.Endpoints.Prefix;
        var (input, status, error) = await LoginInput.ReadAsync(context, settings.Limits.MaxBodyBytes, settings.ForwardAuth.AllowedHosts);
        if (input is null)
        {
            await GatewayResponses.ProblemAsync(context, status, "bad_login_request", error!);
            return;
        }

        var client = ClientInfo.From(context);
        // The browser's previous session is replaced, not reused: a planted cookie never becomes a login.
        var previous = context.Features.Get<SessionAuthenticationFeature>();
        // The session records its remember-me selector, so revoking it (elsewhere) deletes the token too.
        var selector = input.Remember ? RememberMeService.NewSelector() : null;
        var outcome = await signIn.SignInAsync(new SignInRequest(input.Username, input.Password, input.Kind.ToString().ToLowerInvariant(), client)
        {
            Verify = input.Username.Length is > 0 and <= 256 && input.Password.Length is > 0 and <= 1024,
            RememberSelector = selector,
            BeforeCreate = previous is { Session: { } old, Carrier: "cookie" }
                ? cancellationToken => sessions.EndAsync(old, "replaced_by_login", old.User, client.Ip, cancellationToken)
                : null,
        }, context.RequestAborted);
        if (outcome.Failure == PasswordFailure.Overloaded)
        {
            await GatewayResponses.LoginOverloadedAsync(context, settings.Login.QueueTimeout);
            return;
        }
        if (outcome.RetryAfter is { } wait)
        {
            await SecurityResponses.TooManyAsync(context, wait, "too many failed logins, retry later");
            return;
        }
        if (outcome.SignedIn is not { User: var user, Id: var id, Session: var session })
        {
            await audit.RecordAsync("login_failed", input.Username.Length <= 256 ? input.Username : input.Username[..256], null,
                outcome.Failure.ToString().ToLowerInvariant(), null, client.Ip);
            if (input.Kind == LoginKind.Form)
            {
                await LoginPage.WriteAsync(context, prefix, settings.Login.Title, input.ReturnUrl, input.Username, failed: true, input.Remember, StatusCodes.Status401Unauthorized);
            }
            else
            {
                await GatewayResponses.ProblemAsync(context, StatusCodes.Status401Unauthorized, "unauthorized", "invalid credentials");
            }
            return;
        }

        // Everything the answer carries was validated before the session was created (the return URL is header-safe,
        // see ReturnUrl.OrRoot).
        try
        {
            await AnswerAsync(context, input, id, session, selector, user, cookies, remember, settings);
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            // The caller never receives this id (the error answer drops the cookie): end it rather than leave it live,
            // listed and counted against the user's cap, and take its remember-me token with it.
            await EndUndeliveredAsync(sessions, session, client.Ip);
            throw;
        }
    }

    private static async Task AnswerAsync(HttpContext context, LoginInput input, SessionId id, ResolvedSession session, string? selector,
        UserEntry user, SessionCookies cookies, RememberMeService remember, GatewayOptions settings)
    {
        cookies.Issue(context.Response, id, session.Record);
        if (selector is not null)
        {
            await remember.IssueAsync(context.Response, user, selector, context.RequestAborted);
        }
        if (cookies.HasLogoutMarker(context.Request))
        {
            cookies.ExpireLogoutMarker(context.Response);
        }

        if (input.Kind == LoginKind.Form)
        {
            GatewayResponses.NoStore(context.Response);
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = input.ReturnUrl;
            return;
        }
        var info = SessionEndpoints.Describe(session, settings.Session) with { Token = input.WantsToken ? id.Value : null };
        await GatewayResponses.JsonAsync(context, info, JsonContext.Default.SessionInfo);
    }

    private static async Task EndUndeliveredAsync(SessionService sessions, ResolvedSession session, string? ip)
    {
        try
        {
            await sessions.EndAsync(session, "undelivered", "gateway", ip, CancellationToken.None);
        }
        catch (SessionStoreUnavailableException)
        {
            // The store failed the answer too; the session then ends by its idle timeout.
        }
    }
}
