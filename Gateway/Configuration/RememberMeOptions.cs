namespace Gateway.Configuration;

/// <summary>The <c>Gateway:RememberMe</c> section.</summary>
public sealed class RememberMeOptions
{
    /// <summary>Lifetime of remember-me tokens. Default 30 days.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);
}
