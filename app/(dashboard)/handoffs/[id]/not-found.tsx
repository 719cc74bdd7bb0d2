import { NotFoundMessage } from "@/components/ui/not-found-message";

export default function HandoffNotFound() {
  return <NotFoundMessage what="handoff" param="id" hint="No handoff has this Verdict id." back={{ href: "/handoffs", label: "Show all handoffs" }} />;
}
