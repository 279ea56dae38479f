namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Guessing</c> section: throttling of clients that present unknown session ids.</summary>
public sealed class GuessingOptions
{
    /// <summary>Distinct unknown (never issued or ended) session ids one client address may present per window. Default 20; 0 turns it off.</summary>
    public int MaxUnknownIds { get; set; } = 20;

    /// <summary>Counting window, from the first unknown id. Default 1 minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a client past the limit gets 429 for any session id. Default 5 minutes.</summary>
    public TimeSpan BanTime { get; set; } = TimeSpan.FromMinutes(5);
}
