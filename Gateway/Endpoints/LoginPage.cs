using System.Text.Encodings.Web;

namespace Gateway.Endpoints;

/// <summary>
/// The login page: plain HTML that works without JavaScript, labelled fields with password-manager hints, no
/// inline script or style (the CSP forbids both), and one generic error for any failure.
/// </summary>
internal static class LoginPage
{
    public const string StylesheetPath = "/assets/gateway.css";

    public static Task WriteAsync(HttpContext context, string prefix, string title, string returnUrl, string username, bool failed, int status = 200)
    {
        var html = HtmlEncoder.Default;
        var error = failed ? "<p class=\"error\" role=\"alert\">Invalid user name or password.</p>\n" : "";
        var page = $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>{html.Encode(title)}</title>
            <link rel="stylesheet" href="{html.Encode(prefix + StylesheetPath)}">
            </head>
            <body>
            <main>
            <h1>{html.Encode(title)}</h1>
            {error}<form method="post" action="{html.Encode(prefix + "/login")}">
            <input type="hidden" name="returnUrl" value="{html.Encode(returnUrl)}">
            <label for="username">User name</label>
            <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="{html.Encode(username)}">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button>
            </form>
            </main>
            </body>
            </html>
            """;
        return WriteHtmlAsync(context, page, status);
    }

    public static Task WriteHtmlAsync(HttpContext context, string page, int status)
    {
        context.Response.StatusCode = status;
        GatewayResponses.NoStore(context.Response, GatewayResponses.PageCsp);
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(page, context.RequestAborted);
    }

    public const string Stylesheet = """
        :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
        body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
        main { width: min(22rem, 90vw); padding: 2rem; border: 1px solid GrayText; border-radius: .5rem; }
        h1 { margin-top: 0; font-size: 1.4rem; }
        label { display: block; margin: .8rem 0 .3rem; font-weight: 600; }
        input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; }
        button { margin-top: 1.2rem; width: 100%; padding: .6rem; font-size: 1rem; cursor: pointer; }
        .error { color: #b00020; font-weight: 600; }
        main.wide { width: min(60rem, 95vw); }
        table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
        th, td { text-align: left; padding: .5rem; border-bottom: 1px solid GrayText; }
        td button { margin: 0; width: auto; padding: .3rem .8rem; }
        tr.current { font-weight: 600; }
        button.danger { background: #b00020; color: white; border: none; border-radius: .3rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        """;
}
