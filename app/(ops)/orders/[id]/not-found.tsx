import { Link } from "../../../../components/ui/link.tsx";

export default function OrderNotFound() {
  return (
    <div data-testid="order-not-found" className="rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">Order not found</h1>
      <p className="mt-1 text-sm text-slate-600">No order has that number. Check it, or find the order from the list.</p>
      <Link href="/orders" className="mt-3 inline-block text-sm font-medium text-indigo-700 underline">
        Back to orders
      </Link>
    </div>
  );
}
