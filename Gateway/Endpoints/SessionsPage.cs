using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Gateway.Sessions;

namespace Gateway.Endpoints;

/// <summary>
/// "My sessions": the user's devices with a sign-out button for each and one for all. Plain forms (no script),
/// posted to the gateway's own origin.
/// </summary>
internal static class SessionsPage
{
    public static Task WriteAsync(HttpContext context, string prefix, ResolvedSession current, IReadOnlyList<ResolvedSession> sessions)
    {
        var html = HtmlEncoder.Default;
        var rows = new StringBuilder();
        foreach (var session in sessions)
        {
            var record = session.Record;
            var mine = session.Key == current.Key;
            rows.Append(CultureInfo.InvariantCulture, $"""
                <tr{(mine ? " class=\"current\"" : "")}>
                <td>{html.Encode(Device(record.UserAgent))}{(mine ? " <span class=\"badge\">this device</span>" : "")}</td>
                <td>{html.Encode(record.ClientIp)}</td>
                <td><time datetime="{record.Created:O}">{record.Created:yyyy-MM-dd HH:mm} UTC</time></td>
                <td><time datetime="{record.LastSeen:O}">{record.LastSeen:yyyy-MM-dd HH:mm} UTC</time></td>
                <td><form method="post" action="{html.Encode($"{prefix}/sessions/{session.Key.Handle}/revoke")}"><button type="submit" aria-label="Sign out {html.Encode(Device(record.UserAgent))}">Sign out</button></form></td>
                </tr>

                """);
        }
        var page = $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Your sessions</title>
            <link rel="stylesheet" href="{html.Encode(prefix + LoginPage.StylesheetPath)}">
            </head>
            <body>
            <main class="wide">
            <h1>Your sessions</h1>
            <p>Signed in as <strong>{html.Encode(current.User)}</strong>. These devices hold a session; sign out any you do not recognise.</p>
            <table>
            <thead><tr><th scope="col">Device</th><th scope="col">IP address</th><th scope="col">Signed in</th><th scope="col">Last seen</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
            <tbody>
            {rows}</tbody>
            </table>
            <form method="post" action="{html.Encode(prefix + "/logout")}">
            <input type="hidden" name="scope" value="all">
            <button type="submit" class="danger">Sign out everywhere</button>
            </form>
            </main>
            </body>
            </html>
            """;
        return LoginPage.WriteHtmlAsync(context, page, StatusCodes.Status200OK);
    }

    /// <summary>A short, human name for a user agent ("Firefox on Linux"), falling back to the raw string.</summary>
    public static string Device(string userAgent)
    {
        if (userAgent.Length == 0)
        {
            return "Unknown device";
        }
        var browser = userAgent.Contains("Edg/") ? "Edge" : userAgent.Contains("Firefox/") ? "Firefox" : userAgent.Contains("Chrome/") ? "Chrome"
            : userAgent.Contains("Safari/") ? "Safari" : userAgent.Contains("curl/") ? "curl" : null;
        var system = userAgent.Contains("Windows") ? "Windows" : userAgent.Contains("Android") ? "Android" : userAgent.Contains("iPhone") ? "iPhone"
            : userAgent.Contains("Mac OS") ? "macOS" : userAgent.Contains("Linux") ? "Linux" : null;
        return browser is null ? (userAgent.Length > 60 ? userAgent[..60] + "…" : userAgent) : system is null ? browser : $"{browser} on {system}";
    }
}
