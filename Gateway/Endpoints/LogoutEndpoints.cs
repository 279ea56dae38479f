using System.Text.Encodings.Web;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Http;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Endpoints;

/// <summary>
/// <c>POST {prefix}/logout</c>: ends the caller's session in the store (with <c>scope=all</c>, as a query or form
/// field: every session and remember-me token of the user), expires the cookies and sets the logout marker (so
/// cached Basic credentials meet a fresh challenge). A form or browser gets 303 to "/", an API 204.
/// <c>GET {prefix}/logout</c> shows a confirmation button: logging out by a plain link would let any site do it.
/// </summary>
internal static class LogoutEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, string prefix)
    {
        routes.MapPost(prefix + "/logout", PostAsync).AllowAnonymous().WithMetadata(SessionEndpointMetadata.ResolveOnly);

        routes.MapGet(prefix + "/logout", (HttpContext context) => LoginPage.WriteHtmlAsync(context, $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign out</title>
            <link rel="stylesheet" href="{HtmlEncoder.Default.Encode(prefix + LoginPage.StylesheetPath)}"></head>
            <body><main><h1>Sign out</h1>
            <form method="post" action="{HtmlEncoder.Default.Encode(prefix + "/logout")}"><button type="submit">Sign out</button></form>
            </main></body>
            </html>
            """, StatusCodes.Status200OK)).AllowAnonymous().WithMetadata(SessionEndpointMetadata.ResolveOnly);
    }

    private static async Task PostAsync(HttpContext context, SessionService sessions, SessionCookies cookies, RememberMeService remember, IOptionsMonitor<GatewayOptions> options)
    {
        var client = ClientInfo.From(context);
        if (context.Features.Get<SessionAuthenticationFeature>()?.Session is { } session)
        {
            // Read first: a refused body (400, 413) ends nothing.
            var all = await WantsAllAsync(context, options.CurrentValue.Limits.MaxBodyBytes);
            await sessions.EndAsync(session, "logout", session.User, client.Ip, context.RequestAborted);
            await remember.ForgetAsync(context, session.User, context.RequestAborted);
            if (all)
            {
                await sessions.RevokeAllAsync(session.User, "logout_all", session.User, client.Ip, context.RequestAborted);
                await remember.RevokeAllAsync(session.User, context.RequestAborted);
            }
        }
        else
        {
            remember.Expire(context.Response);
        }
        cookies.Expire(context.Response);
        cookies.SetLogoutMarker(context.Response);
        GatewayResponses.NoStore(context.Response);
        context.Response.Headers["Clear-Site-Data"] = "\"cache\"";
        if (context.Request.HasFormContentType || RequestKind.IsNavigation(context.Request) || AcceptsHtml(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = "/";
            return;
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task<bool> WantsAllAsync(HttpContext context, int maxBodyBytes)
    {
        if (context.Request.Query["scope"] == "all")
        {
            return true;
        }
        if (!context.Request.HasFormContentType)
        {
            return false;
        }
        var form = await GatewayForm.ReadAsync(context, maxBodyBytes);
        return form["scope"] == "all";
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
