namespace Gateway.Configuration;

/// <summary>
/// What a browser navigation without a usable session gets: <c>Gateway:Login:BrowserChallenge</c>, or a route's
/// <c>Gateway.Challenge</c> metadata in routes.json.
/// </summary>
public enum BrowserChallenge
{
    /// <summary>A redirect to the login form (password managers, remember me). The default.</summary>
    Form,

    /// <summary>
    /// <c>401</c> with a Basic challenge, so the browser shows its own prompt as behind nginx <c>auth_basic</c>; the page
    /// seen when the prompt is cancelled links to the form.
    /// </summary>
    Basic,
}
