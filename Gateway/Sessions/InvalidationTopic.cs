namespace Gateway.Sessions;

/// <summary>What a near-cache invalidation names: a session key, or the id of a subject just banned.</summary>
internal enum InvalidationTopic
{
    /// <summary>A session deleted, touched or superseded: every near cache drops its copy.</summary>
    Sessions,

    /// <summary>A subject banned: every "not banned" memo forgets it.</summary>
    Bans,
}
