import { NotFoundMessage } from "@/components/ui/not-found-message";

export default function PolicyCallNotFound() {
  return <NotFoundMessage what="policy-gated tool call" param="callKey" back={{ href: "/policy", label: "Show all policy decisions" }} />;
}
