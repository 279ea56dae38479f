using System.Text.Encodings.Web;
using Gateway.Http;

namespace Gateway.Authentication;

/// <summary>
/// The body of a <c>401</c> Basic challenge sent to a browser navigation: what the user sees after cancelling the
/// native prompt. It offers the login form instead, so a cancelled prompt is never a dead end.
/// </summary>
internal static class ChallengePage
{
    public static Task WriteAsync(HttpContext context, string prefix, string loginUrl, bool signedOut)
    {
        var html = HtmlEncoder.Default;
        var (title, text) = signedOut
            ? ("Signed out", "You are signed out. Sign in again with your user name and password.")
            : ("Sign in required", "This page needs your user name and password.");
        return GatewayResponses.HtmlAsync(context, $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
            <link rel="stylesheet" href="{html.Encode(prefix + GatewayStylesheet.Path)}"></head>
            <body><main><h1>{title}</h1>
            <p>{text}</p>
            <p><a href="{html.Encode(loginUrl)}">Sign in with the form</a></p>
            </main></body>
            </html>
            """, StatusCodes.Status401Unauthorized);
    }
}
