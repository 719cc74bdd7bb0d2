export default function AgentsPage() {
  return <h1 className="text-2xl font-semibold">Agents</h1>;
}
