import { listUsers } from "@429chain/db";
import type { Metadata } from "next";
import { ForbiddenNotice } from "../../../components/shell/forbidden-notice";
import { PageHeader } from "../../../components/shell/page-header";
import { Card } from "../../../components/ui/card";
import { Table, TBody, THead, Th } from "../../../components/ui/table";
import { CreateUserForm } from "../../../components/users/create-user-form";
import { UserRow } from "../../../components/users/user-row";
import { hasRole, requireUser } from "../../../lib/auth";
import { getDb } from "../../../lib/services";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const session = await requireUser();
  if (!hasRole(session, "admin")) return <ForbiddenNotice what="Users" />;
  const users = await listUsers(await getDb());
  return (
    <div className="space-y-6">
      <PageHeader
        title="Users"
        description="Who can sign in to this console. Admins can change anything; viewers can only look."
      />
      <Card title="Add a user">
        <CreateUserForm />
      </Card>
      <Table aria-label="Users">
        <THead>
          <tr>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Status</Th>
            <Th>Created</Th>
            <Th className="text-right">Actions</Th>
          </tr>
        </THead>
        <TBody>
          {users.map((user) => (
            <UserRow key={user.id} user={user} isSelf={user.id === session.user.id} />
          ))}
        </TBody>
      </Table>
    </div>
  );
}
