namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Admin</c> section.</summary>
public sealed class AdminOptions
{
    /// <summary>Role allowed to use <c>&lt;prefix&gt;/admin/...</c>. Default <c>admin</c>.</summary>
    public string Role { get; set; } = "admin";
}
