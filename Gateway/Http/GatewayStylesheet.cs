namespace Gateway.Http;

/// <summary>
/// The one stylesheet of the gateway's own pages (login, logout, sessions, the Basic challenge), served from the gateway's origin
/// because the pages' CSP allows no inline style. Light and dark, system fonts, visible focus.
/// </summary>
internal static class GatewayStylesheet
{
    /// <summary>Where the stylesheet is served, under the endpoints' prefix.</summary>
    public const string Path = "/assets/gateway.css";

    public const string Css = """
        :root { color-scheme: light dark; --bg: #f3f4f6; --card: #fff; --text: #111827; --muted: #6b7280; --line: #d1d5db;
          --accent: #2563eb; --accent-text: #fff; --error-bg: #fef2f2; --error: #b91c1c;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 16px; line-height: 1.45; }
        @media (prefers-color-scheme: dark) { :root { --bg: #0f172a; --card: #1e293b; --text: #e5e7eb; --muted: #9ca3af;
          --line: #374151; --accent: #3b82f6; --error-bg: #3b1d1d; --error: #fca5a5; } }
        * { box-sizing: border-box; }
        body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 1.5rem; background: var(--bg); color: var(--text); }
        main { width: min(23rem, 100%); padding: 2rem 2rem 1.75rem; background: var(--card); border: 1px solid var(--line);
          border-radius: .75rem; box-shadow: 0 10px 25px -12px rgb(0 0 0 / .25); }
        main.wide { width: min(56rem, 100%); }
        .logo { display: block; max-height: 3rem; max-width: 100%; margin: 0 auto 1.25rem; }
        h1 { margin: 0 0 1.25rem; font-size: 1.5rem; font-weight: 650; letter-spacing: -.01em; }
        p { margin: 0 0 1rem; }
        .muted { color: var(--muted); font-size: .9rem; }
        label { display: block; margin: 1rem 0 .35rem; font-weight: 600; font-size: .95rem; }
        input[type=text], input[type=password] { width: 100%; padding: .6rem .7rem; font: inherit; color: var(--text);
          background: var(--card); border: 1px solid var(--line); border-radius: .45rem; }
        input[aria-invalid=true] { border-color: var(--error); }
        .remember { display: flex; align-items: center; gap: .5rem; margin-top: 1rem; }
        .remember label { display: inline; margin: 0; font-weight: 400; }
        input[type=checkbox] { width: 1.05rem; height: 1.05rem; margin: 0; accent-color: var(--accent); }
        button { font: inherit; font-weight: 600; padding: .6rem 1rem; color: var(--accent-text); background: var(--accent);
          border: 1px solid var(--accent); border-radius: .45rem; cursor: pointer; }
        button:hover { filter: brightness(1.08); }
        main > form > button[type=submit], form.block button { width: 100%; margin-top: 1.5rem; }
        button.secondary { color: var(--text); background: transparent; border-color: var(--line); }
        button.danger { color: var(--error); background: transparent; border-color: currentColor; }
        :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .error { padding: .65rem .8rem; color: var(--error); background: var(--error-bg); border: 1px solid currentColor;
          border-radius: .45rem; font-weight: 600; font-size: .95rem; }
        table { width: 100%; border-collapse: collapse; margin: 0 0 1.25rem; font-size: .95rem; }
        th, td { padding: .6rem .5rem; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
        th { color: var(--muted); font-weight: 600; font-size: .85rem; text-transform: uppercase; letter-spacing: .03em; }
        th, td time, td:last-child { white-space: nowrap; }
        tr.current td { background: color-mix(in srgb, var(--accent) 7%, transparent); }
        td form { margin: 0; text-align: right; }
        td button { padding: .3rem .75rem; font-size: .9rem; font-weight: 500; color: var(--text); background: transparent; border-color: var(--line); }
        .badge { display: inline-block; margin-left: .4rem; padding: .05rem .45rem; font-size: .75rem; font-weight: 600;
          color: var(--accent-text); background: var(--accent); border-radius: 999px; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        """;
}
