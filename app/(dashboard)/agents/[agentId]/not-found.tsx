import { NotFoundMessage } from "@/components/ui/not-found-message";

export default function AgentNotFound() {
  return <NotFoundMessage what="agent" param="agentId" hint="Verdict has no records from an agent with this id." back={{ href: "/agents", label: "Show all agents" }} />;
}
