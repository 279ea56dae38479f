namespace Gateway.Users;

/// <summary>Why a password check failed.</summary>
internal enum PasswordFailure
{
    None,
    UnknownUser,
    WrongPassword,
    TooLong,

    /// <summary>Not checked: no hashing thread could start it within <c>Gateway:Login:QueueTimeout</c> (503, retry).</summary>
    Overloaded,
}
