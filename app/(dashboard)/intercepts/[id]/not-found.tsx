import { NotFoundMessage } from "@/components/ui/not-found-message";

export default function InterceptNotFound() {
  return <NotFoundMessage what="recorded call" param="id" hint="No intercept has this Verdict id." back={{ href: "/agents", label: "Show all agents" }} />;
}
