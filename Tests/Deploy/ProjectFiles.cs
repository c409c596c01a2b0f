using System.Xml.Linq;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Deploy;

/// <summary>What the repository's project files say: assembly names and project references.</summary>
public static class ProjectFiles
{
    public static string AssemblyName(string project) =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, project)).Descendants("AssemblyName").Single().Value;

    /// <summary>The project and every project it references, directly or not, relative to the repository root with '/'.</summary>
    public static IReadOnlySet<string> WithReferences(string project)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(next))
            {
                continue;
            }
            var directory = Path.GetDirectoryName(Path.Combine(RepositoryPaths.Root, next))!;
            foreach (var reference in XDocument.Load(Path.Combine(RepositoryPaths.Root, next)).Descendants("ProjectReference"))
            {
                var path = Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(RepositoryPaths.Root, path).Replace('\\', '/'));
            }
        }
        return found;
    }
}
