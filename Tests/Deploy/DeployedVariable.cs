namespace Realtime.Tests.Deploy;

/// <summary>An environment variable deploy/ sets for a program, and where it is set.</summary>
public sealed record DeployedVariable(DeployedProgram Program, string Name, string? Value, string Source)
{
    public override string ToString() => $"{Name} for the {Program} in {Source}";
}
