namespace Realtime.Tests.Deploy;

/// <summary>One Dockerfile instruction, continuation lines joined; <paramref name="Stage"/> counts FROMs from 0.</summary>
public sealed record DockerInstruction(string Keyword, string Arguments, int Stage);
