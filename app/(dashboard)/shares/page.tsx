export default function SharesPage() {
  return <h1 className="text-2xl font-semibold">Shares</h1>;
}
